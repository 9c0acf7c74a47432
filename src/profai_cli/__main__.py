from profai_cli.launch import main

main()
