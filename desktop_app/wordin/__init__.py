"""Word in: a plan written in Word becomes a draft of a chosen program.

read (source.open_document) → blocks (reader) → headings (headings) → suggested mapping
onto the program's outline and tasks (mapping) → the officer confirms → draft and report
(assemble). No Qt here: the window and the command line call the same functions.
"""
