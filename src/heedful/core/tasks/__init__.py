"""Staff tasks: the calls, checks and goodwill gestures Heedful asks a person to do."""

from heedful.core.tasks.handlers import (
    NewTask,
    complete_task,
    create_task,
    list_done_tasks,
    list_open_tasks,
    reassign_task,
)
from heedful.core.tasks.model import Task, TaskKind, reminder

__all__ = [
    "NewTask",
    "Task",
    "TaskKind",
    "complete_task",
    "create_task",
    "list_done_tasks",
    "list_open_tasks",
    "reassign_task",
    "reminder",
]
