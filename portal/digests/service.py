def send_digests():
    return "0"
