"""The HR report tests run on 2 December 2026 (tests/support/reports.py says why), over one
planted organisation."""

from datetime import datetime, time

import pytest

from lms.core.clock import JAKARTA
from tests.support.reports import TODAY, plant


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))


@pytest.fixture
def data(db, org, people, course):
    return plant(db, org, people, course)
