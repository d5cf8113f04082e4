"""The day's plan: story ideas (đề tài), who is assigned, and the article written for each."""
