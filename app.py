"""Entry point: `python app.py` starts the Gradio workbench (also the Hugging Face Space entry)."""

import os

from workbench.app import launch

if __name__ == "__main__":
    launch(host=os.environ.get("HIRELAB_HOST", "0.0.0.0" if os.environ.get("SPACE_ID") else "127.0.0.1"),
           port=int(os.environ.get("HIRELAB_PORT", os.environ.get("GRADIO_SERVER_PORT", "7860"))))
