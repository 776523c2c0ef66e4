import CCSV
func _probe() { var p = csv_parser(); _ = csv_init(&p, 0) }
