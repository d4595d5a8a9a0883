"""A separate process that registers clients one by one, printing each id once it is committed;
the reliability test kills it with SIGKILL in the middle of its writes."""

import json
import os
import sys
from datetime import date

from metpwa import create_app
from metpwa.extensions import db
from metpwa.models import Client
from metpwa.services import audit


def main() -> None:
    app = create_app(json.loads(os.environ["METPWA_WRITER_CONFIG"]))
    practice_id = int(sys.argv[1])
    with app.app_context():
        n = 0
        while True:
            n += 1
            client = Client(practice_id=practice_id, first_name="Killed", last_name=f"Writer{n}",
                            date_of_birth=date(1951, 2, 3), sex="M")
            db.session.add(client)
            db.session.flush()
            audit.record("create", client, practice_id=practice_id)
            db.session.commit()
            print(client.id, flush=True)


if __name__ == "__main__":
    main()
