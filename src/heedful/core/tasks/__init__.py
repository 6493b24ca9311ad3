"""Staff tasks: the calls, checks and goodwill gestures Heedful asks a person to do."""

from heedful.core.tasks.handlers import list_open_tasks
from heedful.core.tasks.model import Task, TaskKind, reminder

__all__ = ["Task", "TaskKind", "list_open_tasks", "reminder"]
