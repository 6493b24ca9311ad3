"""Compose the team's long negative reviews for ``long_negative_recall`` (issue 14).

    .venv/bin/python -m scripts.compose_long_reviews     # writes tests/data/text-long-negative.csv

Every sentence below was written by the Heedful team for this purpose, without looking at any real
review set; a review is composed from them by a fixed seed: an opening, some account of the visit,
complaints until it is 150 words or more, sometimes one concession ("the location is good"), and a
closing. They are all negative overall: the one warm sentence some of them hold is the case the
old "mixed" rule got wrong. The output is checked in; rerunning this script reproduces it.
"""

# ruff: noqa: T201, E501, S311  (a command-line tool; the sentences are data; a fixed seed)

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "text-long-negative.csv"
PER_LANGUAGE = {"ru": 40, "uk": 35, "en": 35}
MIN_WORDS = 150
SEED = 20261206

POOLS: dict[str, dict[str, list[str]]] = {
    "ru": {
        "opening": [
            "Пишу этот отзыв, потому что молчать больше не могу.",
            "Долго думала, стоит ли писать, но решила, что люди должны знать.",
            "Были у вас в прошлые выходные всей семьёй.",
            "Выбрали это место по рекомендации знакомых и очень пожалели.",
            "Обращаюсь к вам уже не первый раз, но этот случай переполнил чашу терпения.",
            "Хочу рассказать, как прошёл наш визит, чтобы другие не повторили нашу ошибку.",
            "Добрый день. Оставляю отзыв о вчерашнем посещении.",
            "Заказывали у вас банкет на день рождения мужа.",
        ],
        "story": [
            "Мы приехали около семи вечера, бронь была сделана заранее.",
            "Заказ оформляли через приложение, оплатили сразу картой.",
            "На ресепшене нас встретила девушка, которая долго искала нашу бронь.",
            "В зале было человек десять, половина столов стояла пустой.",
            "Мы попросили столик у окна, как и договаривались по телефону.",
            "Заселение было назначено на два часа дня.",
            "Курьер должен был приехать между десятью и двенадцатью.",
            "С нами были двое детей и пожилая мама.",
            "Я заранее позвонила и уточнила все детали.",
            "Мастер назначил время на утро субботы.",
            "Меню принесли через пятнадцать минут после того, как мы сели.",
            "На следующий день я снова пришла, чтобы разобраться.",
        ],
        "complaint": [
            "Ждать пришлось больше часа, и никто даже не подошёл извиниться.",
            "Администратор разговаривала с нами так, будто мы ей что-то должны.",
            "Номер был грязный: волосы в ванной, пыль на всех поверхностях, пятна на покрывале.",
            "Суп принесли холодным, а горячее пересоленным настолько, что есть было невозможно.",
            "Официант перепутал заказ дважды и при этом ещё и огрызался.",
            "В счёт добавили блюда, которые мы не заказывали, и пришлось долго спорить.",
            "Кондиционер не работал, в комнате было душно и пахло сыростью.",
            "На звонки в поддержку никто не отвечал, а в чате присылали шаблонные отписки.",
            "Курьер опоздал на три часа и привёз помятую коробку с разбитой посудой.",
            "Обещанный завтрак оказался парой засохших булок и остывшим кофе.",
            "Мастер явно торопился, в итоге стрижка получилась кривой.",
            "Деньги за отменённый заказ мне не вернули до сих пор, хотя прошло три недели.",
            "Цены завышены в два раза по сравнению с тем, что указано на сайте.",
            "Персонал громко обсуждал своих гостей прямо у нас за спиной.",
            "Посуда была липкой, на вилке остались следы чужой еды.",
            "Ночью за стеной шумели, а на просьбу разобраться дежурный просто пожал плечами.",
            "Менеджер пообещал перезвонить и, конечно, так и не перезвонил.",
            "Ремонт, который должен был занять два дня, растянулся на две недели.",
            "Когда я попросила жалобную книгу, мне сказали, что её нет.",
            "Ребёнку принесли блюдо с орехами, хотя мы трижды предупреждали об аллергии.",
            "Бельё в номере было несвежее, полотенца серые и с дырками.",
            "Нас трижды переводили от одного сотрудника к другому, и никто ничего не решил.",
            "Из десяти позиций заказа привезли только шесть.",
            "Вместо извинений мы услышали, что сами виноваты.",
            "За такие деньги ожидаешь хотя бы элементарной вежливости.",
            "Вода в душе то ледяная, то кипяток, и так все три дня.",
            "Счёт принесли только через сорок минут после того, как мы его попросили.",
            "Ни один обещанный срок так и не был соблюдён.",
        ],
        "concession": [
            "Расположение, правда, удобное.",
            "Единственное, что понравилось, это вид из окна.",
            "Десерт был неплохой, но это не спасает ситуацию.",
            "Охранник на входе был вежлив, спасибо ему.",
        ],
        "closing": [
            "Больше мы к вам не придём и знакомым не посоветуем.",
            "Очень жаль потраченных денег и испорченного настроения.",
            "Требую вернуть деньги и ответить на мою жалобу по существу.",
            "Никому не рекомендую, обходите стороной.",
            "Итог: испорченный вечер и полное разочарование.",
            "Надеюсь, руководство прочитает это и примет меры, но верится с трудом.",
        ],
    },
    "uk": {
        "opening": [
            "Пишу цей відгук, бо мовчати більше не можу.",
            "Довго думала, чи варто писати, але вирішила, що люди мають знати.",
            "Були у вас минулими вихідними всією родиною.",
            "Обрали це місце за порадою знайомих і дуже пошкодували.",
            "Звертаюся до вас не вперше, але цей випадок переповнив чашу терпіння.",
            "Добрий день. Залишаю відгук про вчорашній візит.",
            "Замовляли у вас банкет на день народження чоловіка.",
        ],
        "story": [
            "Ми приїхали близько сьомої вечора, бронювання було зроблене заздалегідь.",
            "Замовлення оформлювали через застосунок, оплатили одразу карткою.",
            "На рецепції нас зустріла дівчина, яка довго шукала наше бронювання.",
            "У залі було людей десять, половина столів стояла порожня.",
            "Заселення було призначене на другу годину дня.",
            "Кур'єр мав приїхати між десятою і дванадцятою.",
            "З нами були двоє дітей і літня мама.",
            "Я заздалегідь зателефонувала й уточнила всі деталі.",
            "Меню принесли через п'ятнадцять хвилин після того, як ми сіли.",
            "Наступного дня я знову прийшла, щоб розібратися.",
        ],
        "complaint": [
            "Чекати довелося понад годину, і ніхто навіть не підійшов вибачитися.",
            "Адміністраторка розмовляла з нами так, ніби ми їй щось винні.",
            "Номер був брудний: волосся у ванній, пил на всіх поверхнях, плями на покривалі.",
            "Суп принесли холодним, а гаряче пересоленим настільки, що їсти було неможливо.",
            "Офіціант двічі переплутав замовлення і ще й огризався.",
            "До рахунку додали страви, яких ми не замовляли, і довелося довго сперечатися.",
            "Кондиціонер не працював, у кімнаті було задушливо і пахло вологою.",
            "На дзвінки в підтримку ніхто не відповідав, а в чаті надсилали шаблонні відписки.",
            "Кур'єр запізнився на три години і привіз пом'яту коробку з розбитим посудом.",
            "Обіцяний сніданок виявився парою засохлих булок і холодною кавою.",
            "Гроші за скасоване замовлення мені досі не повернули, хоча минуло три тижні.",
            "Ціни завищені вдвічі порівняно з тим, що вказано на сайті.",
            "Персонал голосно обговорював гостей просто в нас за спиною.",
            "Посуд був липкий, на виделці залишилися сліди чужої їжі.",
            "Вночі за стіною шуміли, а на прохання розібратися черговий просто знизав плечима.",
            "Менеджер пообіцяв передзвонити і, звісно, так і не передзвонив.",
            "Ремонт, який мав тривати два дні, розтягнувся на два тижні.",
            "Дитині принесли страву з горіхами, хоча ми тричі попереджали про алергію.",
            "Білизна в номері була несвіжа, рушники сірі й дірляві.",
            "Нас тричі переводили від одного працівника до іншого, і ніхто нічого не вирішив.",
            "З десяти позицій замовлення привезли лише шість.",
            "Замість вибачень ми почули, що самі винні.",
            "За такі гроші очікуєш хоча б елементарної ввічливості.",
            "Рахунок принесли лише через сорок хвилин після того, як ми його попросили.",
            "Жоден обіцяний термін так і не був дотриманий.",
        ],
        "concession": [
            "Розташування, щоправда, зручне.",
            "Єдине, що сподобалося, це краєвид з вікна.",
            "Десерт був непоганий, але це не рятує ситуацію.",
        ],
        "closing": [
            "Більше ми до вас не прийдемо і знайомим не порадимо.",
            "Дуже шкода витрачених грошей і зіпсованого настрою.",
            "Вимагаю повернути гроші й відповісти на мою скаргу по суті.",
            "Нікому не раджу, обходьте стороною.",
            "Підсумок: зіпсований вечір і повне розчарування.",
        ],
    },
    "en": {
        "opening": [
            "I am writing this review because I cannot keep quiet any longer.",
            "I thought for a long time about whether to write this, but people should know.",
            "We visited last weekend as a family.",
            "We chose this place on a friend's recommendation and deeply regret it.",
            "This is not the first time I have contacted you, but this was the last straw.",
            "Good afternoon. This is about our visit yesterday.",
            "We booked a party with you for my husband's birthday.",
        ],
        "story": [
            "We arrived at about seven in the evening and had booked well in advance.",
            "I placed the order through the app and paid by card straight away.",
            "At reception a young woman spent a long time looking for our booking.",
            "There were about ten people in the dining room and half the tables were empty.",
            "Check-in was supposed to be at two in the afternoon.",
            "The courier was due between ten and twelve.",
            "We had two children and my elderly mother with us.",
            "I had phoned in advance to confirm every detail.",
            "The menus arrived fifteen minutes after we sat down.",
            "The next day I went back to try to sort it out.",
        ],
        "complaint": [
            "We waited over an hour and nobody even came over to apologise.",
            "The receptionist spoke to us as if we owed her something.",
            "The room was dirty, with hair in the bathroom, dust everywhere and stains on the bedspread.",
            "The soup came cold and the main course was so salty it was impossible to eat.",
            "The waiter got our order wrong twice and snapped at us when we pointed it out.",
            "The bill included dishes we never ordered and we had to argue for ages.",
            "The air conditioning did not work and the room was stuffy and smelled of damp.",
            "Nobody answered the support line and the chat only sent canned replies.",
            "The courier was three hours late and brought a crushed box with broken plates.",
            "The promised breakfast turned out to be a couple of dry rolls and lukewarm coffee.",
            "The refund for my cancelled order still has not arrived after three weeks.",
            "Prices were twice what the website said.",
            "Staff loudly discussed the guests right behind our backs.",
            "The plates were sticky and there was someone else's food on my fork.",
            "There was noise through the wall all night and the night manager just shrugged.",
            "The manager promised to call back and of course never did.",
            "A repair that was meant to take two days dragged on for two weeks.",
            "My child was served a dish with nuts although we had mentioned the allergy three times.",
            "The sheets were not fresh and the towels were grey and full of holes.",
            "We were passed from one employee to another three times and nobody solved anything.",
            "Only six of the ten items we ordered were delivered.",
            "Instead of an apology we were told it was our own fault.",
            "For that kind of money you expect at least basic courtesy.",
            "The bill came forty minutes after we asked for it.",
            "Not a single promised deadline was met.",
        ],
        "concession": [
            "The location is convenient, admittedly.",
            "The only thing we liked was the view from the window.",
            "The dessert was decent, but that does not save the evening.",
        ],
        "closing": [
            "We will not be back and will not recommend you to anyone.",
            "A real shame about the money and the ruined mood.",
            "I want my money back and a proper answer to my complaint.",
            "I would not recommend this place to anyone, stay away.",
            "All in all, a ruined evening and a complete disappointment.",
        ],
    },
}


def compose(language: str, rng: random.Random) -> str:
    pool = POOLS[language]
    complaints = rng.sample(pool["complaint"], len(pool["complaint"]))
    parts = [rng.choice(pool["opening"]), *rng.sample(pool["story"], 2)]
    concession = rng.choice(pool["concession"]) if rng.random() < 0.5 else None
    while sum(len(p.split()) for p in parts) < MIN_WORDS and complaints:
        parts.append(complaints.pop())
        if concession and len(parts) == 6:
            parts.append(concession)
    parts.append(rng.choice(pool["closing"]))
    return " ".join(parts)


def main() -> int:
    rng = random.Random(SEED)
    rows = []
    for language, count in PER_LANGUAGE.items():
        for _ in range(count):
            text = compose(language, rng)
            assert len(text.split()) >= MIN_WORDS, text
            rows.append({"language": language, "text": text, "sentiment": "negative"})
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["language", "text", "sentiment"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} reviews -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
