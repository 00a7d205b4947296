from mnist49.entry import main

raise SystemExit(main())
