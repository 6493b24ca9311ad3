"""What the demo's customers write under their scores, in their own languages.

Invented, in the tone real guests and clients use: praise, mixed comments that praise one thing
and blame another, and a few strongly negative ones. A few switch language mid-sentence, as
bilingual Kyiv customers do.
"""

from __future__ import annotations

from .data import BANK, BOUTIQUE, HOTEL, RESTAURANT

GOOD, MIXED, BAD = "good", "mixed", "bad"

# business -> tone -> language -> comments
COMMENTS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    HOTEL: {
        GOOD: {
            "ru": (
                "Прекрасный номер, очень тихо, отлично выспались. Спасибо Павлу на ресепшене!",
                "Всё как всегда на высоте: помнят, что я не пью газированную воду.",
                "Завтрак великолепный, персонал внимательный, обязательно вернёмся.",
                "Быстро заселили, номер чистый, вид на переулок чудесный.",
                "Очень приятно, что нас встретили по имени и подняли багаж.",
            ),
            "en": (
                "Lovely room, spotless and quiet. Olivia at the front desk was wonderful.",
                "Great stay as always, they remembered my pillow preference.",
                "Breakfast was excellent and the staff were genuinely kind.",
                "Fast check-in, clean room, perfect location for the conference.",
            ),
        },
        MIXED: {
            "ru": (
                "Номер хороший, но заселения ждали почти сорок минут.",
                "Персонал вежливый, однако в номере было душно и кондиционер шумел.",
                "Завтрак вкусный, но на ресепшене никто не отвечал на звонки.",
                "Всё неплохо, но за такую цену ожидали больше внимания.",
            ),
            "en": (
                "The staff were lovely, but we waited forty minutes to check in.",
                "Nice room, but the minibar had sparkling water again although I asked not to.",
                "Good breakfast, shame the Wi-Fi kept dropping all evening.",
                "Comfortable bed, but housekeeping knocked at 8 am despite the sign.",
            ),
        },
        BAD: {
            "ru": (
                "Ужасно. Ждали заселения больше часа, номер не был убран.",
                "Грубый администратор, никаких извинений. Больше не приедем.",
                "В номере грязно, полотенца несвежие, на жалобу не отреагировали.",
                "Бронь потеряли, пришлось доплачивать за другой номер. Отвратительно.",
            ),
            "en": (
                "Terrible. We waited over an hour and the room was still dirty.",
                "Rude receptionist, no apology, and they charged my card twice.",
                "Noisy room next to the lift, nobody cared when we complained.",
            ),
        },
    },
    BOUTIQUE: {
        GOOD: {
            "uk": (
                "Дарина допомогла підібрати сукню, дуже уважно і без нав'язування. Дякую!",
                "Чудовий сервіс: мені зателефонували, щойно сумка з'явилася в наявності.",
                "Приємна атмосфера, кава, гарна музика. Завжди повертаюся сюди.",
                "Примірка швидко, підгонку зробили вчасно, все ідеально сіло.",
            ),
            "ru": (
                "Артём подобрал идеальный костюм, очень профессионально.",
                "Спасибо за звонок о поступлении моего размера, приятно, что помните.",
                "Прекрасный бутик, уютно, вежливо, без навязчивости.",
            ),
            "en": (
                "Wonderful service, they called me the day my size came in.",
                "Beautiful shop, calm atmosphere and honest advice on fit.",
            ),
        },
        MIXED: {
            "uk": (
                "Речі гарні, але ціни за останній рік дуже зросли.",
                "Консультант привітний, проте підгонку довелося чекати два тижні.",
                "Сервіс чудовий, але в примірочній було холодно і мало світла.",
                "Обслуговування ок, але обіцяли передзвонити і не передзвонили.",
            ),
            "ru": (
                "Вещи отличные, но на кассе пришлось долго ждать.",
                "Консультант вежливый, но моего размера опять не было.",
            ),
            "en": (
                "Lovely clothes, but the alteration took twice as long as promised.",
                "Friendly staff, but prices are hard to justify now.",
            ),
        },
        BAD: {
            "uk": (
                "Жахливо. Обіцяли повідомити про сумку, а продали її іншій клієнтці.",
                "На мене не звертали уваги двадцять хвилин, поки консультант говорила по телефону.",
                "Повернення грошей чекаю вже третій тиждень, ніхто не відповідає.",
            ),
            "ru": (
                "Ужасное отношение, продавец смотрел свысока. Больше не приду.",
                "Сумка порвалась через неделю, в возврате отказали. Отвратительно.",
            ),
            "en": ("Very disappointed: the promised call never came and the bag was sold.",),
        },
    },
    RESTAURANT: {
        GOOD: {
            "uk": (
                "Смачно, як завжди! Софія пам'ятає наш улюблений столик.",
                "Чудовий вечір, вареники просто неймовірні, дякуємо кухні.",
                "Швидко посадили навіть без броні, дуже приємно.",
                "Атмосфера затишна, офіціант уважний, десерт від закладу: дякуємо!",
            ),
            "ru": (
                "Очень вкусно и уютно, обслуживание быстрое.",
                "Отличный завтрак, кофе лучший на Подоле.",
            ),
            "en": (
                "Delicious food and a warm welcome, they even held a table for us.",
                "Great borscht, friendly host, we will be back.",
            ),
        },
        MIXED: {
            "uk": (
                "Їжа смачна, але страви чекали майже годину.",
                "Персонал привітний, але в залі дуже гучно і задушно.",
                "Десерт чудовий, проте рахунок принесли з помилкою.",
                "Смачно, але порції стали менші, а ціни вищі.",
            ),
            "ru": (
                "Еда вкусная, но официанта приходилось ждать по пятнадцать минут.",
                "Всё хорошо, но столик у двери, постоянно дуло.",
            ),
            "en": ("Tasty food, but we waited almost an hour for the mains.",),
        },
        BAD: {
            "uk": (
                "Жахливе обслуговування: забули замовлення, а потім ще й нагрубили.",
                "Суп холодний, м'ясо пересмажене, ніхто не вибачився.",
                "Бронювали столик, а нас посадили біля туалету. Більше не прийдемо.",
            ),
            "ru": ("Ужасно долго, холодная еда и грубый официант.",),
            "en": ("Awful evening: cold food, rude waiter, and a wrong bill.",),
        },
    },
    BANK: {
        GOOD: {
            "uk": (
                "Юрій зателефонував заздалегідь і підняв ліміт ще до платежу. Неймовірно!",
                "Все вирішили за один дзвінок, дуже просто і швидко.",
                "Дякую за проактивність: попередили про закінчення терміну картки.",
                "Професійно, ввічливо, без зайвих паперів.",
            ),
            "ru": (
                "Всё решили за пять минут по телефону, спасибо.",
                "Менеджер сам позвонил и предложил решение, очень приятно.",
            ),
            "en": ("Sorted in one call, clear and friendly. Thank you.",),
        },
        MIXED: {
            "uk": (
                "Питання вирішили, але довелося тричі пояснювати одне й те саме.",
                "Менеджер ввічливий, проте на лінії чекала двадцять хвилин.",
                "Зрештою допомогли, але документи просили надіслати двічі.",
            ),
            "ru": (
                "Помогли, но сначала долго переключали между отделами.",
                "Вежливо, но ответа по кредиту ждала три дня.",
            ),
            "en": ("Helpful in the end, but I was transferred four times.",),
        },
        BAD: {
            "uk": (
                "Жахливо: карту заблокували за кордоном, а на гарячій лінії ніхто не відповів.",
                "Платіж відхилили, ніхто не попередив, ще й комісію зняли. Обурена.",
                "Годину на лінії, а проблему так і не вирішили.",
            ),
            "ru": ("Ужасный сервис: списали деньги дважды и неделю не возвращают.",),
            "en": ("Card declined abroad with no warning and nobody answered the hotline.",),
        },
    },
}

# Bilingual customers switch language mid-sentence; the reader must cope with that too.
CODE_SWITCHED: dict[str, tuple[str, ...]] = {
    HOTEL: ("Номер чудовий, but the breakfast was cold and late.",),
    BOUTIQUE: ("Сукня супер, але fitting room была занята полчаса.",),
    RESTAURANT: ("Вареники топ, але waiter забув про наш десерт.",),
    BANK: ("Дуже швидко, thanks, але додаток знову не працював.",),
}
