# Overrides Django's "vi" formats: the newsroom's house style for dates, and
# day-first input (Django's own "vi" module defines no input formats, so
# "10/01/2020" would be read as 1 October).
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y - H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y - H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '10/01/2020'
    "%d-%m-%Y",  # '10-01-2020'
    "%d.%m.%Y",  # '10.01.2020'
    "%d/%m/%y",  # '10/01/20'
    "%Y-%m-%d",  # '2020-01-10' (ISO, what date pickers send)
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "%Hh%M", "%Hg%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y - %H:%M",  # '10/01/2020 - 13:04' (as pages show it)
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
