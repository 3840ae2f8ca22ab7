"""Published indicators with disclosure control (issue 10): measures from the records,
primary and secondary suppression, the linear-programming audit, and the releases.

It reads records; the site never imports it (the site reads only the published JSON)."""
