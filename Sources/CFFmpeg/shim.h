// FFmpeg 5.x (libavformat 59) plus wrappers for the macros Swift cannot import.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/error.h>

/// AVERROR_EOF as a function: the macro does not import into Swift.
static inline int qv_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR(e) as a function, e.g. qv_averror(EAGAIN).
static inline int qv_averror(int e) { return AVERROR(e); }
/// EAGAIN as AVERROR(EAGAIN).
static inline int qv_averror_eagain(void) { return AVERROR(EAGAIN); }
