"""The programme's offerings besides one-to-one coaching, in the directory repository:
groups (``groups/<id>.yml``: co-development and any offer of kind ``group``) and immersion
offers (``immersions/<id>.yml``). Each file is loaded strictly, checked against its schema
(specialised with the programme's vocabularies and coach ids) and by the rules of its module,
then turned into a frozen model. Nothing here reads the records."""
