"""专利转化申报助手 — writes a city's 专利转化重点城市引领计划 application book."""

__version__ = "0.1.0"
APP_NAME = "专利转化申报助手"
APP_ID = "patent-conversion-assistant"
