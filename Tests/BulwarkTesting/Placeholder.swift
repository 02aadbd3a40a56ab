import BulwarkApp
