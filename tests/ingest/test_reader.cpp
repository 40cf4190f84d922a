// placeholder: tests being written
