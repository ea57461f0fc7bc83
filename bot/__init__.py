"""tsunagi (つなぎ): a chat bot for Japan's 生活支援コーディネーター."""
