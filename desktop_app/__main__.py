"""python -m desktop_app [gui|export|import|dump-json|list] — see README.md."""
from desktop_app.cli import main

raise SystemExit(main())
