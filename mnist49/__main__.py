from mnist49.cli import main

raise SystemExit(main())
