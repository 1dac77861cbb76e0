from onprem.cli import main

main()
