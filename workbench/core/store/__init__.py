"""The one owner of the SQLite file: opening, migrations, transactions, the history rows, and every SQL statement of the program."""
