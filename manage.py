#!/usr/bin/env python
from dean06.__main__ import main

if __name__ == "__main__":
    main()
