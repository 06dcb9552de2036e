import sys

from fieldtool.cli import main

sys.exit(main())
