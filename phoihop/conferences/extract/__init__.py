"""Reading a Vietnamese news report of a coordination-programme conference into a draft record
(issue 16, ADR 0023). ``events``: what happened and when (the event kind, the phases reviewed and
signed, the date); ``people``: who chaired and who attended, with ranks and positions;
``record``: the place, the parties and the record as JSON (``extract(text, known=...)``);
``nlp``: underthesea's offline CRF models as a second opinion; ``evaluate``: the scores on the
labelled set. Each value comes with the character spans it was read from (``evidence``)."""
