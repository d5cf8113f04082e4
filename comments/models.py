# Reader comments arrive with the comments issue; the app exists so the
# project's layout is in place.
