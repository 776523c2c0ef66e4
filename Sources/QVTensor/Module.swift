import COpenBLAS
import CLAPACKE
func _probe() { openblas_set_num_threads(1) }
