from profai_cli.cli import main

main()
