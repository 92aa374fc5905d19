"""Everything the bot says, in French, with the person spoken to as a parameter."""
