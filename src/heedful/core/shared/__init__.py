"""The floor every room stands on: clock, ids, errors, pages, scope and the unit-of-work shape.

It imports no room. Rooms import its modules directly: it has no face to pass.
"""
