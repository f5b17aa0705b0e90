"""Text functions the database computes the same way as Python: one mechanism for the search
folding (`search.Folded`) and the alphabetical sort key (`collation.SortKey`).

Each maps characters through a table (`sql_from` → `sql_to`) and lowers the result. On
PostgreSQL it is `LOWER(TRANSLATE(…))`, which a subclass may finish differently (a
collation); on SQLite, whose LOWER and collations know no Cyrillic, the Python function
itself, registered on every connection under the subclass's `sqlite_function` name.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Expression, F, Func, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.db.models.sql.compiler import SQLCompiler

_SQLITE_FUNCTIONS: dict[str, Callable[[str], str]] = {}


class TranslatedText(Func):
    """`python(text)` of a text expression, computed by the database (SQLite, PostgreSQL)."""

    output_field = TextField()
    arity = 1
    sqlite_function: ClassVar[str]
    sql_from: ClassVar[str]
    sql_to: ClassVar[str]

    @staticmethod
    def python(text: str) -> str:
        """The same function in Python (for SQLite and for lists ordered in Python)."""
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _SQLITE_FUNCTIONS[cls.sqlite_function] = cls.python

    def __init__(self, expression: str | Combinable, **extra: Any) -> None:
        super().__init__(F(expression) if isinstance(expression, str) else expression, **extra)

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError(
            f"{type(self).__name__}() is implemented for SQLite and PostgreSQL only."
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return super().as_sql(compiler, connection, function=self.sqlite_function, **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        (source,) = self.get_source_expressions()
        translated = Func(
            source,
            Value(self.sql_from),
            Value(self.sql_to),
            function="TRANSLATE",
            output_field=TextField(),
        )
        return compiler.compile(self.finish_postgresql(Lower(translated)))

    def finish_postgresql(self, lowered: Expression) -> Expression:
        return lowered


def _sqlite_caller(python: Callable[[str], str]) -> Callable[[Any], str | None]:
    return lambda value: None if value is None else python(str(value))


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give every SQLite connection the text functions."""
    if connection.vendor == "sqlite":
        for name, python in _SQLITE_FUNCTIONS.items():
            connection.connection.create_function(
                name, 1, _sqlite_caller(python), deterministic=True
            )


def connect_signals() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="vigil.core.textfunctions")
