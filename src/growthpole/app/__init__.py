"""The local web dashboard (``growthpole app``); see :mod:`growthpole.app.dashboard`."""
