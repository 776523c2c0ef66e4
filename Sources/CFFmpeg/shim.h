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

/// AV_NOPTS_VALUE ("no timestamp") as a function: the macro's cast does not import.
static inline int64_t qv_nopts_value(void) { return AV_NOPTS_VALUE; }
/// Plane pointer `i` of a frame (Swift sees AVFrame.data as an 8-tuple).
static inline uint8_t *qv_frame_plane(const AVFrame *f, int i) { return f->data[i]; }
/// Line size (bytes per row, may include padding) of plane `i` of a frame.
static inline int qv_frame_linesize(const AVFrame *f, int i) { return f->linesize[i]; }
/// Error text for an FFmpeg error code, written into `buf` (av_err2str is a macro with a compound literal).
static inline const char *qv_error_string(int err, char *buf, size_t size) {
    if (av_strerror(err, buf, size) < 0) snprintf(buf, size, "error %d", err);
    return buf;
}
