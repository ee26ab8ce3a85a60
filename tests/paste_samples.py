"""Clipboard fragments as Word, WPS, a web page and Excel put them on the clipboard."""

# Word 2016 (Windows) "HTML Format": list numbers in mso-list:Ignore spans, conditional
# comments, <o:p>, &nbsp; and full-width indents, source lines wrapped mid-sentence.
WORD_HTML = """Version:0.9
StartHTML:0000000105
<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta charset=utf-8><style><!-- p.MsoNormal {margin:0cm;font-size:10.5pt;} --></style></head>
<body lang=ZH-CN>
<!--StartFragment-->
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>\u3000\u3000扬州市坚持以企业为主体，
推动专利转化运用。<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:0cm;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:楷体;mso-list:Ignore'>（一）<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span><![endif]><b><span style='font-family:楷体'>建设专利转化平台</span></b><o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span><!--[endif]--><span>加快存量专利转化<o:p></o:p></span></p>
<p class=MsoNormal>支持高校院所开展专利\u00a0\u00a0 评估，<br>全年 转化 专利 500 件以上。<o:p>&nbsp;</o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<!--EndFragment-->
</body></html>"""

# WPS: numbers typed into the text with spaces, <br/> inside a <div>, a zero-width space.
WPS_HTML = """<html><body><!--StartFragment--><div style="font-family:'仿宋'">
<p style="text-indent:2em"><span>(二) 完善服务体系</span></p>
<p><span>2 . 培育服务机构</span></p>
<p><span>引进\u200b高端服务机构10家，<br/>培育本地机构\u00a05家。</span></p>
</div><!--EndFragment--></body></html>"""

# A web page: headings, list items, a script, entities.
WEB_HTML = """<meta charset="utf-8"><h3>（三）强化保护</h3><ul><li>建立快速维权中心&amp;工作站</li>
<li>开展&ldquo;护航&rdquo;行动</li></ul><script>var x = "不要";</script><p>完</p>"""

# Excel: tab-separated, CRLF rows, a cell holding a newline (quoted) and a quote ("").
EXCEL_TSV = ('高价值专利数\t件\t１９２\t220\t250\t"300"\r\n'
             '专利质押融资金额\t亿元\t18.6\t20%\t"２２"\t25\r\n'
             '"许可""备案""\r\n合同数"\t份\t40\t50\t60\t70\r\n')
