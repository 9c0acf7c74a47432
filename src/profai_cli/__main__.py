from profai_cli.cli.launch import main

main()
