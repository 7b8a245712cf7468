"""Reading a Vietnamese news report of a coordination-programme conference into a draft record
(issue 16). ``events``: what happened and when (the event kind, the phases reviewed and signed,
the date). Who took part comes next. Each value comes with the character spans it was read
from (``evidence``)."""
