"""Ideas: submitted on site (form, kiosk, assisted), imported from paper, triaged by organisers."""
