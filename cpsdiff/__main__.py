from cpsdiff.cli import main

main()
