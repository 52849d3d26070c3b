"""The champion tests run on 2 December 2026, 10:00 in Jakarta, over one planted unit."""

from datetime import datetime, time

import pytest

from lms.core.clock import JAKARTA
from tests.support.champions import TODAY, plant


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))


@pytest.fixture
def unit(db, org, people, course):
    return plant(db, org, people, course)
