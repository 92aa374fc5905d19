"""Code that runs inside the Rasa server: the socketio channel and the tracker store."""
