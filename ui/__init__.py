"""Entry points only: CLI, FastAPI app (JSON API), Gradio chat. Settings are read here."""
