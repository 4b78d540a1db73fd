"""newsbeam's pipeline options: the Beam way, so every standard Beam option passes through."""

from apache_beam.options.pipeline_options import PipelineOptions

from transforms.fetch import USER_AGENT, FetchConfig


class NewsbeamOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--feeds", nargs="+", default=None,
                            help="feed URLs, text files of URLs (one a line, # comments) or OPML files")
        parser.add_argument("--output", default=None, help="dataset directory (local path or Beam filesystem URL)")
        parser.add_argument("--run_id", default=None, help="run id (default: UTC time plus a random suffix)")
        parser.add_argument("--connect_timeout", type=float, default=5.0, help="seconds to connect")
        parser.add_argument("--read_timeout", type=float, default=15.0, help="seconds between bytes")
        parser.add_argument("--total_timeout", type=float, default=30.0, help="seconds for a whole response")
        parser.add_argument("--max_body_bytes", type=int, default=10 * 1024 * 1024,
                            help="largest response body accepted, after decompression")
        parser.add_argument("--http_user_agent", default=USER_AGENT, help="User-Agent header sent with every request")
        parser.add_argument("--verbose", action="store_true", default=False, help="show Beam's own logging")

    def fetch_config(self) -> FetchConfig:
        return FetchConfig(connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                           total_timeout=self.total_timeout, max_bytes=self.max_body_bytes,
                           user_agent=self.http_user_agent)


def unknown_options(argv: list[str]) -> list[str]:
    """Flags that no PipelineOptions class knows: a user's typo, reported instead of silently dropped."""
    captured = []
    PipelineOptions(argv).get_all_options(add_extra_args_fn=captured.append)
    _, unknown = captured[0].parse_known_args(argv)
    return [arg for arg in unknown if arg.startswith("-")]
