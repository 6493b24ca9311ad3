"""SLA policies and clocks: first response, next response and resolution in business time."""
