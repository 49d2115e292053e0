"""Registration before the day: an optional form per event, capacity and waiting list, a QR code
by e-mail, check-in at the door, attendance figures."""
