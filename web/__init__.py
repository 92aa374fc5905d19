"""The beneficiaries' chat page: a static page that talks to Rasa's socketio channel."""
