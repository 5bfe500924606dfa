"""speechgen: 安全生产会议公文生成工具 (speeches, outlines, notices, responsibility letters)."""

__version__ = "0.1.0"
