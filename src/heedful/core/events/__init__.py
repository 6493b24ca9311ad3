"""Business events in: CloudEvents from shops, hotels and banks, stored once, in arrival order."""
