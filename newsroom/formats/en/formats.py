# Overrides Django's "en" formats for the English admin and site: moments are
# shown one way in every language (newsroom.formats.DISPLAY_FORMAT, "10/01/2020 -
# 13:04"), so a box of the English admin never mixes Django's "Jan. 10, 2020,
# 1:04 p.m." with our own dates; and dates are read day first, as they are shown
# (Django's "en" reads "10/01/2020" as 1 October). Month names and numbers
# stay Django's English.
from newsroom.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

