"""`python manage.py generate_demo_data --published-figures` run as a user runs it: a subprocess
with Django's system checks on, on a fresh SQLite file after `migrate` and
`seed_reference_data`. It loads the published figures and the demo accounts, and refuses a
second time (the database has visits then), writing nothing."""

import sqlite3
from pathlib import Path

from .test_command import _manage, _row_counts


def test_published_figures_as_a_user_loads_them(tmp_path: Path) -> None:
    database = tmp_path / "published.sqlite3"
    for step in (("migrate", "--no-input"), ("seed_reference_data",)):
        result = _manage(*step, database=database)
        assert result.returncode == 0, result.stderr

    first = _manage("generate_demo_data", "--published-figures", database=database)
    assert first.returncode == 0, first.stderr
    assert "Published figures (seed 1)" in first.stdout
    assert (
        "2023 visits           461 (2 follow_up, 2 joint, 422 planned, 33 special, 2 thematic)"
        in (first.stdout)
    )
    assert "2021 penitentiary     758 recommendations, 275 implemented" in first.stdout
    assert "Demo logins (password default):" in first.stdout
    with sqlite3.connect(database) as connection:
        visits = connection.execute(
            "SELECT COUNT(*) FROM visits_visit WHERE started_at >= '2023-01-01' "
            "AND started_at < '2024-01-01' AND state = 'closed'"
        ).fetchone()[0]
        officials = dict(
            connection.execute(
                "SELECT initiative, COUNT(*) FROM appeals_accountabilityrecord GROUP BY initiative"
            ).fetchall()
        )
        demo_accounts = connection.execute(
            "SELECT COUNT(*) FROM accounts_user WHERE email LIKE '%@demo.vigil'"
        ).fetchone()[0]
    assert visits == 461
    assert officials == {"commissioner": 258, "npm_participant": 17}
    assert demo_accounts == 6
    counts = _row_counts(database)
    assert counts["registry_institution"] == 474
    assert counts["recommendations_recommendation"] == 3012 + 758

    second = _manage("generate_demo_data", "--published-figures", database=database)
    assert second.returncode == 1
    assert "already has visits" in second.stderr
    assert _row_counts(database) == counts


def test_published_figures_refused_after_the_demo_data(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    for step in (
        ("migrate", "--no-input"),
        ("seed_reference_data",),
        ("generate_demo_data", "--scale", "demo"),
    ):
        result = _manage(*step, database=database)
        assert result.returncode == 0, result.stderr
    counts = _row_counts(database)
    refused = _manage("generate_demo_data", "--published-figures", database=database)
    assert refused.returncode == 1
    assert "no demo data" in refused.stderr
    assert _row_counts(database) == counts
