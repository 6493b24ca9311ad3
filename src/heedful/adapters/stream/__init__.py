"""Message streams: NATS JetStream feeding business events to any number of workers."""
