import sys
from pathlib import Path

# walker.py and servers.py are plain modules beside these tests (tests/ has no packages).
sys.path.insert(0, str(Path(__file__).resolve().parent))
