"""Short text messages to applicants' phones through an SMS gateway (docs/notify.md): the
interface (`interface.py`), an adapter over HTTP (`adapter.py`), settings from the
environment (`config.py`) and a simulator that records what it is sent (`simulator.py`)."""
