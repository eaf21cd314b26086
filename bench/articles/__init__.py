"""Article analyses against a scripted model answering in 200 ms."""
